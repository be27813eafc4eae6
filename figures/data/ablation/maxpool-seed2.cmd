build/cc-native/lenet train --data data/mnist --arch paper-maxpool --passes 10 --seed 2  --model build/ablation/maxpool-seed2.model --log figures/data/ablation/maxpool-seed2.csv
