build/cc-native/lenet train --data data/mnist --arch paper --optimizer sgd --rate 0.0005 --passes 10 --seed 3  --model build/ablation/sgd-seed3.model --log figures/data/ablation/sgd-seed3.csv
